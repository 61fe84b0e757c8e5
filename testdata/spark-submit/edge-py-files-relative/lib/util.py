# a module shipped with --py-files
