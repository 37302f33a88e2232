"""The example gallery: complete canvases anyone can copy as a canvas of their own."""
