"""Package-level facts: computed once per Go package and shared by every codemod."""
