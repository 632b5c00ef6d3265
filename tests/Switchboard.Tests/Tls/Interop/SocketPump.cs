using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Switchboard.Tls;

namespace Switchboard.Tests.Tls.Interop;

/// <summary>
/// Test-only async driver: runs a client <see cref="TlsConnection"/> over a real socket, the way an IO actor
/// would (receive, feed, send what the engine produced), with bounded waits throughout.
/// </summary>
internal static class SocketPump
{
    /// <summary>Handshake, wait (briefly) for session tickets, then close_notify. Returns the sessions received.</summary>
    public static async Task<List<TlsSession>> ConnectAsync(TlsConnection connection, int port, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        var toSend = new ArrayBufferWriter<byte>();
        var plaintext = new ArrayBufferWriter<byte>();
        var sessions = new List<TlsSession>();
        var buffer = new byte[16 * 1024];

        connection.Start(toSend);
        await FlushAsync(socket, toSend, deadline.Token);
        while (connection.State == TlsState.Handshaking)
        {
            await ReceiveOnceAsync(socket, connection, buffer, toSend, plaintext, sessions, deadline.Token);
        }

        if (connection.State == TlsState.Established && sessions.Count == 0)
        {
            // TLS 1.3 tickets follow the handshake; give them a moment, but a server may send none.
            using var ticketWait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            ticketWait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                while (sessions.Count == 0 && connection.State == TlsState.Established)
                {
                    await ReceiveOnceAsync(socket, connection, buffer, toSend, plaintext, sessions, ticketWait.Token);
                }
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
            }
        }

        if (connection.State == TlsState.Established)
        {
            connection.Close(toSend);
            await FlushAsync(socket, toSend, deadline.Token);
            socket.Shutdown(SocketShutdown.Send);
        }
        return sessions;
    }

    private static async Task ReceiveOnceAsync(
        Socket socket, TlsConnection connection, byte[] buffer, ArrayBufferWriter<byte> toSend,
        ArrayBufferWriter<byte> plaintext, List<TlsSession> sessions, CancellationToken cancellation)
    {
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation);
        if (read == 0)
        {
            throw new IOException($"peer closed the socket while the connection was {connection.State}");
        }
        var progress = connection.Receive(buffer.AsSpan(0, read), toSend, plaintext);
        if (progress.HasFlag(TlsProgress.NewSessions))
        {
            sessions.AddRange(connection.TakeNewSessions());
        }
        await FlushAsync(socket, toSend, cancellation);
    }

    private static async Task FlushAsync(Socket socket, ArrayBufferWriter<byte> toSend, CancellationToken cancellation)
    {
        if (toSend.WrittenCount == 0)
        {
            return;
        }
        var bytes = toSend.WrittenMemory;
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellation);
            bytes = bytes[sent..];
        }
        toSend.ResetWrittenCount();
    }
}
