"""gunicorn settings: the README's production command and ./scripts/start both read this file.

Live sessions keep one open connection per participant, so the workers are gevent workers. Those open
streams would hold a stopping worker for the whole graceful timeout; instead, a worker told to stop
ends its streams at once (the browsers reconnect, to a new worker or to the restarted server), so a
restart or a reload (SIGHUP) takes seconds. Connections that browsers keep open between requests
(keep-alive) would hold it just as long: a stopping worker closes those that wait for a next request
too, and every other connection as soon as its request is answered.
"""
import os
import signal

# gevent's worker, looking for a stop ten times a second instead of once (bril/serving.py).
worker_class = "bril.serving.QuickStopWorker"
worker_connections = 4000
# Seconds a stopping worker waits for requests still running (a vote being stored) before it is killed.
graceful_timeout = 5
timeout = 30
# Phones post (a vote, a mark) some seconds after their last request. With gunicorn's default of 2 s
# the server often closes that idle connection just as the phone reuses it, and the post fails.
keepalive = 20
# No control socket in ~/.gunicorn: two sites (or a test server beside a real one) on one machine would share it.
control_socket_disable = True


def when_ready(server):
    """Say where the site runs once it really listens (scripts/serve.py sets the message; production has none)."""
    message = os.environ.get("BRIL_READY_MESSAGE")
    if message:
        print(message, flush=True)


def post_worker_init(worker):
    """Start this worker's senders of learning records and grades; end its live streams and its idle connections
    as soon as it is told to stop."""
    import gevent

    from bril.lti import scores
    from bril.xapi.sender import run_forever
    gevent.spawn(run_forever, worker.wsgi)  # a greenlet: it waits on the network without holding the worker
    gevent.spawn(scores.run_forever, worker.wsgi)  # grades back to the learning portals (LTI), likewise
    close_idle = track_idle_connections(worker)
    stop = worker.handle_exit

    def handle_exit(sig, frame):
        stop(sig, frame)
        import gevent

        from bril.sessions.broker import close_all_streams
        gevent.spawn(close_all_streams)
        gevent.spawn(close_idle)

    worker.handle_exit = handle_exit
    signal.signal(signal.SIGTERM, handle_exit)


def track_idle_connections(worker):
    """Keep track of the connections waiting for their next request; return what closes them.

    gunicorn's keep-alive loop waits up to `keepalive` seconds for a connection's next request, even in a
    worker that is stopping: without this, a room of phones keeps every stopping worker for the whole
    graceful timeout. A browser whose idle connection is closed opens a new one for its next request.
    Closing is gunicorn's own way: StopIteration in the connection's loop, which closes it quietly.
    """
    import gevent

    idle = {}  # connection -> the greenlet that waits for its next request
    handle_connection, handle_request = worker.handle, worker.handle_request

    def handle(listener, client, addr):
        idle[client] = gevent.getcurrent()
        try:
            handle_connection(listener, client, addr)
        finally:
            idle.pop(client, None)

    def handle_one(listener_name, req, sock, addr):
        waiting = idle.pop(sock, None)
        try:
            answered = handle_request(listener_name, req, sock, addr)
        finally:
            if waiting is not None:
                idle[sock] = waiting
        if not worker.alive:
            raise StopIteration()  # stopping: answered, so no next request on this connection
        return answered

    def close_idle():
        for greenlet in list(idle.values()):
            greenlet.kill(StopIteration(), block=False)

    worker.handle, worker.handle_request = handle, handle_one
    return close_idle
