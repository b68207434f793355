"""The product's core: data, metrics and rules, free of any user-interface code."""
