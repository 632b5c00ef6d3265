using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Switchboard.IO;
using Switchboard.IO.Delivery;
using Switchboard.Tls;

namespace Switchboard.Tests.Stress;

/// <summary>
/// A TLS client driven by hand over a real socket (the <see cref="TlsConnection"/> state machine), so a
/// spec can misbehave after the handshake in ways the library's own client never would: raw garbage on
/// an established link, a frame header above max-frame-size. Every wait is bounded.
/// </summary>
internal sealed class TlsClientPeer : IDisposable
{
    private readonly Socket _socket;
    private readonly TlsConnection _tls;
    private readonly ArrayBufferWriter<byte> _toSend = new();
    private readonly ArrayBufferWriter<byte> _plaintext = new();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly FrameDecoder _decoder = new(1024 * 1024);
    private readonly Queue<ControlFrame> _controls = new();

    private TlsClientPeer(Socket socket, TlsConnection tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    public HandshakeInfo? Handshake => _tls.Handshake;

    public TlsFailure? Failure => _tls.Failure;

    /// <summary>The first flight a client sends: replaying it costs a flood nothing, and the server signs for each.</summary>
    public static byte[] ClientHello(TlsContext context, string serverName)
    {
        using var client = TlsConnection.CreateClient(context, serverName, resume: null);
        var hello = new ArrayBufferWriter<byte>();
        client.Start(hello);
        return hello.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Connects (from <paramref name="from"/>, when given) and runs the handshake until the client side completes
    /// or fails. <paramref name="withFinished"/> is plaintext written behind the client's Finished, in the same
    /// write, as the library's own dialer sends its Resume.
    /// </summary>
    public static async Task<TlsClientPeer> ConnectAsync(IPEndPoint server, TlsContext context, string serverName, TimeSpan within, IPAddress? from = null, byte[]? withFinished = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        var peer = new TlsClientPeer(socket, TlsConnection.CreateClient(context, serverName, resume: null));
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await socket.ConnectAsync(server, timeout.Token);
            peer._toSend.ResetWrittenCount();
            var progress = peer._tls.Start(peer._toSend);
            await peer.FlushAsync(timeout.Token);
            while ((progress & (TlsProgress.HandshakeCompleted | TlsProgress.Failed | TlsProgress.PeerClosed)) == 0)
            {
                var received = await socket.ReceiveAsync(peer._buffer, SocketFlags.None, timeout.Token);
                if (received == 0)
                {
                    break;
                }

                progress = peer.Feed(received);
                if ((progress & TlsProgress.HandshakeCompleted) != 0)
                {
                    // Read before the Finished leaves: nothing the server answers it with can be counted here.
                    peer.DataSegmentsBeforeFinished = peer.DataSegmentsReceived();
                    if (withFinished is not null)
                    {
                        peer._tls.Send(withFinished, peer._toSend);
                    }
                }

                await peer.FlushAsync(timeout.Token);
            }
        }
        catch
        {
            peer.Dispose();
            throw;
        }

        return peer;
    }

    /// <summary>Bytes straight onto the socket, below TLS.</summary>
    public async Task SendRawAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Plaintext through TLS (the caller frames it, or deliberately does not).</summary>
    public async Task SendAsync(byte[] plaintext)
    {
        _toSend.ResetWrittenCount();
        _tls.Send(plaintext, _toSend);
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Plaintext and close_notify in one write, so the server reads both at once.</summary>
    public async Task SendThenCloseAsync(byte[] plaintext)
    {
        _toSend.ResetWrittenCount();
        _tls.Send(plaintext, _toSend);
        _tls.Close(_toSend);
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Reads until the server ends the link; says how (close_notify, alert, FIN, reset).</summary>
    public async Task<string> ClosedByServerAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(_buffer, SocketFlags.None, timeout.Token);
                if (received == 0)
                {
                    return "closed (FIN)";
                }

                var progress = Feed(received);
                if ((progress & TlsProgress.Failed) != 0)
                {
                    return $"TLS failure: {_tls.Failure}";
                }

                if ((progress & TlsProgress.PeerClosed) != 0)
                {
                    return "close_notify";
                }
            }
        }
        catch (SocketException e)
        {
            return $"socket error {e.SocketErrorCode}";
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not close the link within {within.TotalSeconds:0.#} s");
        }
    }

    public static byte[] Frame(byte[] payload) => Framing.Encode(payload);

    /// <summary>Reads until the server sends a control frame (acknowledged links); data frames are skipped.</summary>
    public async Task<ControlFrame> ReceiveControlAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (_controls.Count == 0)
        {
            var received = await _socket.ReceiveAsync(_buffer, SocketFlags.None, timeout.Token);
            if (received == 0)
            {
                throw new IOException("the server closed the link before a control frame arrived");
            }

            Feed(received);
            _decoder.Feed(_plaintext.WrittenSpan, _controls, static (_, _) => { }, static (list, body) =>
            {
                Assert.True(ControlFrame.TryParse(body, out var frame, out _), "malformed control frame");
                list.Enqueue(frame);
            });
        }

        return _controls.Dequeue();
    }

    /// <summary><see cref="DataSegmentsReceived"/> just before the client's Finished was written.</summary>
    public int DataSegmentsBeforeFinished { get; private set; }

    /// <summary>How many segments carrying data the kernel received on this socket (Linux's tcpi_data_segs_in).</summary>
    public int DataSegmentsReceived()
    {
        const int tcpInfo = 11, dataSegsInOffset = 152;
        var info = new byte[256];
        var length = _socket.GetRawSocketOption((int)SocketOptionLevel.Tcp, tcpInfo, info);
        Assert.True(length >= dataSegsInOffset + 4, $"TCP_INFO returned {length} bytes: this kernel does not count data segments");
        return BitConverter.ToInt32(info, dataSegsInOffset);
    }

    /// <summary>Sessions the server's tickets gave this client so far.</summary>
    public int TakeSessionCount()
    {
        var sessions = _tls.TakeNewSessions();
        foreach (var session in sessions)
        {
            session.Dispose();
        }

        return sessions.Count;
    }

    public void Dispose()
    {
        _tls.Dispose();
        _socket.Dispose();
        _decoder.Dispose();
    }

    private TlsProgress Feed(int received)
    {
        _toSend.ResetWrittenCount();
        _plaintext.ResetWrittenCount();
        return _tls.Receive(_buffer.AsSpan(0, received), _toSend, _plaintext);
    }

    private async Task FlushAsync(CancellationToken token)
    {
        if (_toSend.WrittenCount > 0)
        {
            await _socket.SendAsync(_toSend.WrittenMemory, SocketFlags.None, token);
            _toSend.ResetWrittenCount();
        }
    }
}
