"""The Engagement page's sections: scores and levels, trends, lifecycle, rituals."""
