"""The pull-request bot behind ``gomapfix pr``: fixes on a branch per group, one commit per
rule, pushed with GitPython and proposed through a GitHub-compatible REST API.

The user's checkout is never touched: the base branch is exported into a private
folder, the engine fixes it there, and the commits are written straight into the object
store with a private index. See docs/bot.md.
"""
