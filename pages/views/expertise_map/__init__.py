"""The Expertise map page's parts: its filters and focus, tiles, the network, the matrix, the
skill and member lists, "who knows X" and the member profile."""
