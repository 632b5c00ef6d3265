using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Cli.Fleet;

/// <summary>What each raw-socket fault does with one accepted connection.</summary>
internal sealed partial class RawFaultAgent
{
    private const int ReceiveBufferSize = 4096;
    private const int GarbageLength = 512;

    /// <summary>Reads and discards until the peer closes: the peer sees nothing, and its close frees the socket.</summary>
    private static async Task DrainAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[ReceiveBufferSize];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false) > 0)
        {
        }
    }

    private static async Task GarbageAsync(Socket socket, CancellationToken token)
    {
        var garbage = new byte[GarbageLength];
        Random.Shared.NextBytes(garbage);
        // A TLS record header is a type (20..24), a version (major 3) and a length. Random bytes that
        // happen to start with major version 3 make OpenSSL wait for the whole "record" instead of
        // failing: keep both the type and the major version out of range, so it fails at once.
        garbage[0] = (byte)(0x30 + (garbage[0] & 0x0F));
        garbage[1] |= 0x80;
        await socket.SendAsync(garbage, SocketFlags.None, token).ConfigureAwait(false);
        await DrainAsync(socket, token).ConfigureAwait(false);
    }

    private static async Task ResetAfterFirstFlightAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[ReceiveBufferSize];
        await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
        ResetAndClose(socket);
    }

    /// <summary>The real server flight minus its last record (TLS 1.3: the Finished), then silence.</summary>
    private async Task StallMidHandshakeAsync(Socket socket, CancellationToken token)
    {
        using var tls = TlsConnection.CreateServer(_context!);
        var flight = await FirstServerFlightAsync(socket, tls, token).ConfigureAwait(false);
        if (flight is null)
        {
            return;
        }

        await socket.SendAsync(flight.AsMemory(0, WithoutLastRecord(flight)), SocketFlags.None, token).ConfigureAwait(false);
        await DrainAsync(socket, token).ConfigureAwait(false);
    }

    /// <summary>
    /// A real TLS server (it echoes frames once the handshake is done) whose every outgoing byte is
    /// trickled one per <see cref="FaultSpec.SlowByteInterval"/>. The TLS state machine stays on the
    /// reading task; a second task only trickles, so the connection is never driven from two places.
    /// </summary>
    private async Task SlowAsync(Socket socket, CancellationToken token)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(token);
        var output = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var reading = EndsBoth(ReadAndAnswerAsync(socket, output.Writer, both.Token), both, output.Writer);
        var trickling = EndsBoth(TrickleAsync(socket, output.Reader, both.Token), both, output.Writer);
        await Task.WhenAll(reading, trickling).ConfigureAwait(false);
    }

    private async Task ReadAndAnswerAsync(Socket socket, ChannelWriter<byte[]> output, CancellationToken token)
    {
        using var tls = TlsConnection.CreateServer(_context!);
        using var frames = new FrameDecoder(1024 * 1024);
        var toSend = new ArrayBufferWriter<byte>();
        var plaintext = new ArrayBufferWriter<byte>();
        var echoes = new List<byte[]>();
        var buffer = new byte[ReceiveBufferSize];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
            if (received == 0)
            {
                return;
            }

            toSend.ResetWrittenCount();
            plaintext.ResetWrittenCount();
            var progress = tls.Receive(buffer.AsSpan(0, received), toSend, plaintext);
            if (plaintext.WrittenCount > 0 && tls.State == TlsState.Established)
            {
                echoes.Clear();
                if (frames.Feed(plaintext.WrittenSpan, echoes, static (list, payload) =>
                    {
                        if (!payload.IsEmpty)
                        {
                            list.Add(payload.ToArray());
                        }
                    }) is not null)
                {
                    return; // a frame too large: this agent is slow, not lenient
                }

                foreach (var echo in echoes)
                {
                    tls.Send(Framing.Encode(echo), toSend);
                }
            }

            if (toSend.WrittenCount > 0)
            {
                await output.WriteAsync(toSend.WrittenSpan.ToArray(), token).ConfigureAwait(false);
            }

            if ((progress & (TlsProgress.Failed | TlsProgress.PeerClosed)) != 0)
            {
                return;
            }
        }
    }

    private static async Task TrickleAsync(Socket socket, ChannelReader<byte[]> output, CancellationToken token)
    {
        await foreach (var chunk in output.ReadAllAsync(token).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                await socket.SendAsync(chunk.AsMemory(i, 1), SocketFlags.None, token).ConfigureAwait(false);
                await Task.Delay(FaultSpec.SlowByteInterval, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whichever side of a slow connection ends first (peer closed, send failed) ends the other.</summary>
    private static async Task EndsBoth(Task task, CancellationTokenSource both, ChannelWriter<byte[]> output)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (IsPeerOrShutdown(e) || e is ChannelClosedException)
        {
        }
        finally
        {
            output.TryComplete();
            both.Cancel();
        }
    }

    /// <summary>Reads the client's first flight until TLS answers it; null if the peer closed or spoke no TLS.</summary>
    private static async Task<byte[]?> FirstServerFlightAsync(Socket socket, TlsConnection tls, CancellationToken token)
    {
        var toSend = new ArrayBufferWriter<byte>();
        var plaintext = new ArrayBufferWriter<byte>();
        var buffer = new byte[ReceiveBufferSize];
        while (toSend.WrittenCount == 0)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
            if (received == 0)
            {
                return null;
            }

            var progress = tls.Receive(buffer.AsSpan(0, received), toSend, plaintext);
            if ((progress & TlsProgress.Failed) != 0)
            {
                return null;
            }
        }

        return toSend.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Length of <paramref name="flight"/> without its last whole TLS record (5-byte header: type, version,
    /// 16-bit length). A flight of one record loses its last byte instead: either way the client cannot finish.
    /// </summary>
    internal static int WithoutLastRecord(ReadOnlySpan<byte> flight)
    {
        var offset = 0;
        var lastStart = -1;
        while (offset + 5 <= flight.Length)
        {
            var length = (flight[offset + 3] << 8) | flight[offset + 4];
            if (offset + 5 + length > flight.Length)
            {
                break;
            }

            lastStart = offset;
            offset += 5 + length;
        }

        return lastStart > 0 ? lastStart : Math.Max(0, flight.Length - 1);
    }
}
