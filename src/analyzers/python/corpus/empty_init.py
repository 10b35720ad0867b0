# package marker

