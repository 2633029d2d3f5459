"""Emails about plans: batched "your child's plan was updated" for families, and
immediate notes to staff when a family adds something."""
