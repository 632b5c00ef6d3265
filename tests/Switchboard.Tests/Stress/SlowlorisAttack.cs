using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Raw TCP connections that never say a word, each watched until the server closes it (FIN or reset),
/// so a spec can tell refused-at-once from cut-at-the-deadline. Disposing closes whatever is left.
/// </summary>
internal sealed class SlowlorisAttack(IPEndPoint target) : IDisposable
{
    private readonly List<Connection> _connections = [];

    public int Count => _connections.Count;

    public bool AllClosed => _connections.All(c => c.Closed.IsCompleted);

    /// <summary>How long each connection lived, from connect to the server closing it.</summary>
    public IEnumerable<TimeSpan> Lifetimes => _connections.Select(c => c.Lifetime);

    public int ClosedWithin(TimeSpan limit) => _connections.Count(c => c.Closed.IsCompleted && c.Lifetime <= limit);

    public async Task OpenAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var connection = new Connection(socket);
            _connections.Add(connection);
            try
            {
                await socket.ConnectAsync(target);
            }
            catch (SocketException)
            {
                // Accepted and reset so fast that the reset overtook our connect's completion: refused at once.
                connection.Closed = connection.RefusedAsync();
                continue;
            }

            connection.Closed = connection.WatchAsync();
        }
    }

    public string Summary()
    {
        var lifetimes = _connections.Where(c => c.Closed.IsCompleted).Select(c => c.Lifetime.TotalSeconds).OrderBy(s => s).ToArray();
        return lifetimes.Length == 0
            ? $"{Count} connections, none closed"
            : $"{Count} connections, {lifetimes.Length} closed after {lifetimes[0]:0.00}..{lifetimes[^1]:0.00} s ({_connections.Count(c => c.Reset)} by reset)";
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Socket.Dispose();
        }
    }

    private sealed class Connection(Socket socket)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public Socket Socket { get; } = socket;

        public Task Closed { get; set; } = Task.CompletedTask;

        public TimeSpan Lifetime { get; private set; }

        public bool Reset { get; private set; }

        public Task RefusedAsync()
        {
            Reset = true;
            Lifetime = _clock.Elapsed;
            return Task.CompletedTask;
        }

        /// <summary>Never throws: ends when the server closes the connection (or the attack is disposed).</summary>
        public async Task WatchAsync()
        {
            var buffer = new byte[256];
            try
            {
                while (await Socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
                {
                }
            }
            catch (SocketException)
            {
                Reset = true;
            }
            catch (ObjectDisposedException)
            {
            }

            Lifetime = _clock.Elapsed;
        }
    }
}
