"""Facts about this installation itself, such as whether its database is a demonstration."""
