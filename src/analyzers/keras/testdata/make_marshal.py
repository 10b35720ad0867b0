#!/usr/bin/python3
"""Writes rich_lambda.marshal: marshal.dumps of the code of a lambda with many constant types
(float, complex, bytes, Ellipsis, a 100-bit int, a frozenset) and a nested comprehension, as
Python 3.11 writes it. Compiled, never executed. Run: /usr/bin/python3 make_marshal.py"""
import marshal
import os
import types

SOURCE = ("lambda x, y=3: [i * 2.5 for i in range(10**30)] + "
          "[b'ab', 1j, ..., None, True, -7, 2**100, x in {1, 2}]")

module = compile(SOURCE, "<fixture>", "eval")
code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rich_lambda.marshal"),
          "wb") as f:
    f.write(marshal.dumps(code))
