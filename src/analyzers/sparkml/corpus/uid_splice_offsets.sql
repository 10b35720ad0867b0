@a--b
__THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ __THIS__ 
SELECT reflect('a', 'b') FROM __THIS__
