# stand-in application
