"""The canvas app's views, one module per feature: canvases, the board and its notes,
members and invitations, share links, export, and error pages."""
