"""The core distribution's version, as a tuple (1.x exposes ``hamilton.version.VERSION``)."""

VERSION: tuple = (2, 0, 0, "dev0")
