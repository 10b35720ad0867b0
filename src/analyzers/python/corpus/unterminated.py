import os
os.system('id')
x = """never closed
