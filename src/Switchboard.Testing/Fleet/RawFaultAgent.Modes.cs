using System.Net.Sockets;

namespace Switchboard.Testing.Fleet;

/// <summary>What each raw-socket fault does with one accepted connection.</summary>
public sealed partial class RawFaultAgent
{
    private const int ReceiveBufferSize = 4096;
    private const int GarbageLength = 512;

    /// <summary>A server writes a flight at once; this long without more bytes means it is waiting for the client.</summary>
    private static readonly TimeSpan FlightQuietPeriod = TimeSpan.FromMilliseconds(100);

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

    /// <summary>The real server's first flight minus its last record (TLS 1.3: the Finished), then silence.</summary>
    private async Task StallMidHandshakeAsync(Socket client, CancellationToken token)
    {
        using var server = await ConnectServerAsync(token).ConfigureAwait(false);
        using var hello = CancellationTokenSource.CreateLinkedTokenSource(token);
        var forwarding = EndsBoth(PumpAsync(client, server, TimeSpan.Zero, hello.Token), hello);
        // The client closing (its handshake timed out before the server answered) ends the wait too:
        // otherwise a slow server keeps this connection open for the agent's whole lifetime.
        var flight = await FirstFlightAsync(server, hello.Token).ConfigureAwait(false);
        await hello.CancelAsync().ConfigureAwait(false);
        await forwarding.ConfigureAwait(false);
        if (flight.Length == 0)
        {
            return;
        }

        await client.SendAsync(flight.AsMemory(0, WithoutLastRecord(flight)), SocketFlags.None, token).ConfigureAwait(false);
        await DrainAsync(client, token).ConfigureAwait(false);
    }

    /// <summary>A real TLS server (it echoes frames) whose every byte to the client is trickled one per <see cref="FaultSpec.SlowByteInterval"/>.</summary>
    private async Task SlowAsync(Socket client, CancellationToken token)
    {
        using var server = await ConnectServerAsync(token).ConfigureAwait(false);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(token);
        // Whichever direction ends first (a peer closed, a send failed) ends the other.
        var up = EndsBoth(PumpAsync(client, server, TimeSpan.Zero, both.Token), both);
        var down = EndsBoth(PumpAsync(server, client, FaultSpec.SlowByteInterval, both.Token), both);
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    private async Task<Socket> ConnectServerAsync(CancellationToken token)
    {
        var server = new Socket(_server!.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(_server, token).ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Copies bytes from one socket to the other until <paramref name="from"/> closes; with a pace, one byte per pace.</summary>
    private static async Task PumpAsync(Socket from, Socket to, TimeSpan pace, CancellationToken token)
    {
        var buffer = new byte[ReceiveBufferSize];
        int received;
        while ((received = await from.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false)) > 0)
        {
            if (pace <= TimeSpan.Zero)
            {
                await to.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, token).ConfigureAwait(false);
                continue;
            }

            for (var i = 0; i < received; i++)
            {
                await to.SendAsync(buffer.AsMemory(i, 1), SocketFlags.None, token).ConfigureAwait(false);
                await Task.Delay(pace, token).ConfigureAwait(false);
            }
        }
    }

    private static async Task EndsBoth(Task task, CancellationTokenSource both)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (IsPeerOrShutdown(e))
        {
        }
        finally
        {
            both.Cancel();
        }
    }

    /// <summary>
    /// The server's first flight: whole TLS records until the server has been quiet for a moment (it then
    /// waits for the client's answer). Empty if the server closed first.
    /// </summary>
    private static async Task<byte[]> FirstFlightAsync(Socket server, CancellationToken token)
    {
        var flight = new List<byte>();
        var buffer = new byte[ReceiveBufferSize];
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (flight.Count > 0 && EndsOnRecord(flight))
            {
                quiet.CancelAfter(FlightQuietPeriod);
            }

            int received;
            try
            {
                received = await server.ReceiveAsync(buffer, SocketFlags.None, quiet.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                return [.. flight];
            }

            if (received == 0)
            {
                return [];
            }

            flight.AddRange(buffer.AsSpan(0, received));
        }
    }

    private static bool EndsOnRecord(List<byte> bytes)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        var offset = 0;
        while (offset + 5 <= span.Length)
        {
            offset += 5 + ((span[offset + 3] << 8) | span[offset + 4]);
        }

        return offset == span.Length;
    }

    /// <summary>
    /// Length of <paramref name="flight"/> without its last whole TLS record (5-byte header: type, version,
    /// 16-bit length). A flight of one record loses its last byte instead: either way the client cannot finish.
    /// </summary>
    public static int WithoutLastRecord(ReadOnlySpan<byte> flight)
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
