SELECT ref${x}lect('a', 'b'), '${env:HOME}', '${ x}', '${}}' FROM __THIS__ -- ${system:line.separator} x
