"""The Action plan page's sections: the situation, the plan, the effects behind it, the
catalogue and saved plans."""
