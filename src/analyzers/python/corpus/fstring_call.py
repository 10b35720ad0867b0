import os
label = f"exec(1) {os.popen('id').read()} eval(2)"
