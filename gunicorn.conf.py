"""gunicorn settings: the README's production command and ./scripts/start both read this file.

Live sessions keep one open connection per participant, so the workers are gevent workers. Those open
streams would hold a stopping worker for the whole graceful timeout; instead, a worker told to stop
ends its streams at once (the browsers reconnect, to a new worker or to the restarted server), so a
restart or a reload (SIGHUP) takes seconds.
"""
import signal

worker_class = "gevent"
worker_connections = 4000
# Seconds a stopping worker waits for requests still running (a vote being stored) before it is killed.
graceful_timeout = 5
timeout = 30
# Phones post (a vote, a mark) some seconds after their last request. With gunicorn's default of 2 s
# the server often closes that idle connection just as the phone reuses it, and the post fails.
keepalive = 20
# No control socket in ~/.gunicorn: two sites (or a test server beside a real one) on one machine would share it.
control_socket_disable = True


def post_worker_init(worker):
    """End this worker's live streams as soon as it is told to stop."""
    stop = worker.handle_exit

    def handle_exit(sig, frame):
        stop(sig, frame)
        import gevent

        from bril.sessions.broker import close_all_streams
        gevent.spawn(close_all_streams)

    worker.handle_exit = handle_exit
    signal.signal(signal.SIGTERM, handle_exit)
