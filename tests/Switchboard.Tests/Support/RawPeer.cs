using System.Net;
using System.Net.Sockets;

namespace Switchboard.Tests.Support;

/// <summary>
/// A misbehaving TCP peer on loopback for fault tests: accepts and then stays silent, or answers with
/// garbage, or resets. Bounded: it stops when disposed.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = [];

    public enum Behaviour
    {
        Silent,
        Garbage,
        Reset,
    }

    public RawPeer(Behaviour behaviour, IPAddress? address = null)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        _listener.Listen(64);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = AcceptLoop(behaviour);
    }

    public IPEndPoint Endpoint { get; }

    public int Accepted { get; private set; }

    private async Task AcceptLoop(Behaviour behaviour)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                    Accepted++;
                }

                switch (behaviour)
                {
                    case Behaviour.Garbage:
                        var garbage = new byte[512];
                        new Random(1).NextBytes(garbage);
                        await socket.SendAsync(garbage, SocketFlags.None, _stop.Token);
                        break;
                    case Behaviour.Reset:
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }
    }
}
