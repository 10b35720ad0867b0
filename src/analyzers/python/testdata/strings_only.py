DOC = '''
os.system('id')
'''
RAW = r"eval(\"x\")"
BYTES = b'__import__("os")'
ESCAPED = 'it\'s exec("x")'
TEXT = "line \
continued os.system('id')"
# subprocess.run(['id'])
