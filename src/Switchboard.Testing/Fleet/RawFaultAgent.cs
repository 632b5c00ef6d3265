using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// An agent that misbehaves below TLS (stall, stall-mid, garbage, reset, slow): its own listening socket
/// and one async task per accepted connection, no threads of its own and no blocking calls. Bounded:
/// at most <see cref="MaxConnections"/> open at once (beyond, new ones are reset at once) and each lives
/// at most <see cref="MaxConnectionLifetime"/>; disposing closes everything and awaits the tasks.
/// </summary>
public sealed partial class RawFaultAgent : IAsyncDisposable
{
    /// <summary>A master retries one link at a time; a few dozen covers overlapping retries and probes.</summary>
    public const int MaxConnections = 64;

    /// <summary>A client that never gives up still cannot pin a socket forever.</summary>
    public static readonly TimeSpan MaxConnectionLifetime = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan DisposeLimit = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly FaultMode _mode;
    private readonly IPEndPoint? _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, OpenConnection> _open = new();
    private readonly Task _acceptLoop;
    private long _nextId;
    private long _accepted;
    private long _internalErrors;
    private string? _lastInternalError;

    private RawFaultAgent(Socket listener, FaultMode mode, IPEndPoint? server)
    {
        _listener = listener;
        _mode = mode;
        _server = server;
        Address = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Address { get; }

    public FaultMode Mode => _mode;

    /// <summary>Connections accepted so far (refused ones included).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    public int OpenConnections => _open.Count;

    /// <summary>Unexpected exceptions in a connection's task (a bug here, never the peer's doing); tests require 0.</summary>
    public long InternalErrors => Interlocked.Read(ref _internalErrors);

    public string? LastInternalError => Volatile.Read(ref _lastInternalError);

    /// <param name="server">A real TLS server with the agent's identity: stall-mid and slow misbehave in front of it.</param>
    public static RawFaultAgent Start(IPEndPoint address, FaultMode mode, IPEndPoint? server, int backlog)
    {
        if (!mode.IsRawSocket())
        {
            throw new ArgumentException($"fault mode {mode.Name()} is not served by raw sockets", nameof(mode));
        }

        if (mode is FaultMode.StallMid or FaultMode.Slow && server is null)
        {
            throw new ArgumentException($"fault mode {mode.Name()} needs a real TLS server to stand in front of", nameof(server));
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(address);
            socket.Listen(backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen on {address}: {e.Message}", e);
        }

        return new RawFaultAgent(socket, mode, server);
    }

    /// <summary>Closes every open connection (SIGUSR1, "agents drop their links"); the agent keeps accepting.</summary>
    public void DropConnections()
    {
        foreach (var connection in _open.Values)
        {
            connection.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
        DropConnections();
        var tasks = _open.Values.Select(c => c.Task).Append(_acceptLoop).ToArray();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(DisposeLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Every task ends on its own once its socket is gone; we only stop waiting for it.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // One client's failed accept (it reset first); a short pause keeps a broken listener from spinning.
                await Pause().ConfigureAwait(false);
                continue;
            }

            Interlocked.Increment(ref _accepted);
            if (_open.Count >= MaxConnections)
            {
                ResetAndClose(socket);
                continue;
            }

            var id = Interlocked.Increment(ref _nextId);
            var connection = new OpenConnection(socket, _stop.Token);
            _open[id] = connection;
            connection.Task = ServeAsync(id, connection);
        }
    }

    private async Task Pause()
    {
        try
        {
            await Task.Delay(10, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Never throws: a peer's misbehaviour ends its connection; anything else is counted as a bug.</summary>
    private async Task ServeAsync(long id, OpenConnection connection)
    {
        var socket = connection.Socket;
        var token = connection.Token;
        try
        {
            socket.NoDelay = true;
            await (_mode switch
            {
                FaultMode.Stall => DrainAsync(socket, token),
                FaultMode.Garbage => GarbageAsync(socket, token),
                FaultMode.Reset => ResetAfterFirstFlightAsync(socket, token),
                FaultMode.StallMid => StallMidHandshakeAsync(socket, token),
                FaultMode.Slow => SlowAsync(socket, token),
                _ => Task.CompletedTask,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (IsPeerOrShutdown(e))
        {
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _internalErrors);
            Volatile.Write(ref _lastInternalError, $"{_mode.Name()} agent at {Address}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _open.TryRemove(id, out _);
            connection.Dispose();
        }
    }

    private static bool IsPeerOrShutdown(Exception e) =>
        e is OperationCanceledException or SocketException or ObjectDisposedException
        || (e is AggregateException a && a.InnerExceptions.All(IsPeerOrShutdown));

    private static void ResetAndClose(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    /// <summary>One accepted socket and the token that ends its task (agent stop, drop, or lifetime).</summary>
    private sealed class OpenConnection : IDisposable
    {
        private readonly CancellationTokenSource _cancel;

        public OpenConnection(Socket socket, CancellationToken stop)
        {
            Socket = socket;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _cancel.CancelAfter(MaxConnectionLifetime);
            // Cancelling closes the socket, so a pending receive or send ends at once, whatever it waits for.
            _cancel.Token.Register(static s => ((Socket)s!).Dispose(), socket);
        }

        public Socket Socket { get; }

        public CancellationToken Token => _cancel.Token;

        public Task Task { get; set; } = Task.CompletedTask;

        public void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            Socket.Dispose();
            _cancel.Dispose();
        }
    }
}
