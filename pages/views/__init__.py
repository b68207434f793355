"""The sections of the longer pages, one module per tab or section: each draws from a request
context and the shared components, and the page module only arranges them."""
