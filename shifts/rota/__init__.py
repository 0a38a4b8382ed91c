"""Who is on which shift: the week's rota, one shift, assigning and unassigning under a lock,
filling the week in one step, the change log."""
