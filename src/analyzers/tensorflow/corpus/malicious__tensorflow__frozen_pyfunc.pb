

xPlaceholder*
dtype0
J
pyPyFuncStatelessx*
token
pyfunc_1*
Tin
2*
Tout
2"í