"""What the page shows for a view state: the map patch, texts and side panel. No wiring here.

Each piece is named by the state fields it reads (`Piece.reads`); `render_view` rebuilds a piece only
when what it reads changed since the browser last showed it, and says `no_update` otherwise.
"""
