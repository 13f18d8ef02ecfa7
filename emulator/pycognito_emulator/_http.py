"""uvicorn's h11 protocol with a deadline for reading each request.

uvicorn times out idle keep-alive connections, but not a client that opens a
connection and sends nothing, or sends half its headers or body and stalls (a
slow-loris): such a connection would stay open for ever. Here every request must
arrive in full within ``timeout`` seconds of the connection opening or of its first
byte; otherwise the connection is closed (the app sees a disconnect and runs nothing).
The time the app takes to answer is not limited.
"""

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)


def protocol(timeout):
    """An ``H11Protocol`` subclass for ``uvicorn.Config(http=...)``.

    Args:
        timeout: seconds a request may take to arrive in full.
    """

    class DeadlineH11Protocol(H11Protocol):
        _read_timer = None

        def connection_made(self, transport):
            super().connection_made(transport)
            self._arm()

        def data_received(self, data):
            self._arm()
            super().data_received(data)
            if self.conn.their_state in _RECEIVED:
                self._disarm()

        def connection_lost(self, exc):
            self._disarm()
            super().connection_lost(exc)

        def _arm(self):
            if self._read_timer is None:
                self._read_timer = self.loop.call_later(timeout, self._expired)

        def _disarm(self):
            if self._read_timer is not None:
                self._read_timer.cancel()
                self._read_timer = None

        def _expired(self):
            self._read_timer = None
            if self.conn.their_state not in _RECEIVED and not self.transport.is_closing():
                self.transport.close()

    return DeadlineH11Protocol
