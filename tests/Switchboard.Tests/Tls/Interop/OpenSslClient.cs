using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Switchboard.Tls;

namespace Switchboard.Tests.Tls.Interop;

/// <summary>
/// A real <c>openssl s_client</c> against one of our server connections on loopback, driven like an IO actor
/// drives it. Reports what ALPN protocol s_client says was negotiated.
/// </summary>
internal static class OpenSslClient
{
    public static async Task<string?> NegotiatedAlpnAsync(TlsContext serverContext, string ca, string certificate, string key, string offer, TimeSpan timeout)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "agent-00001", "-CAfile", ca, "-cert", certificate, "-key", key, "-alpn", offer })
        {
            info.ArgumentList.Add(argument);
        }

        using var deadline = new CancellationTokenSource(timeout);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl s_client");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var errors = process.StandardError.ReadToEndAsync(deadline.Token);
            using (var socket = await listener.AcceptSocketAsync(deadline.Token))
            using (var connection = TlsConnection.CreateServer(serverContext))
            {
                await HandshakeAsync(socket, connection, deadline.Token);
                Assert.True(connection.Handshake is not null, $"our server's handshake with s_client failed: {connection.Failure}");
            }

            // With the handshake done and stdin at EOF, s_client prints its summary and exits.
            process.StandardInput.Close();
            await process.WaitForExitAsync(deadline.Token);
            var text = await output + "\n" + await errors;
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("ALPN protocol: ", StringComparison.Ordinal));
            if (line is null)
            {
                Assert.Contains("No ALPN negotiated", text);
                return null;
            }

            return line["ALPN protocol: ".Length..].Trim();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task HandshakeAsync(Socket socket, TlsConnection connection, CancellationToken cancellation)
    {
        var toSend = new ArrayBufferWriter<byte>();
        var plaintext = new ArrayBufferWriter<byte>();
        var buffer = new byte[16 * 1024];
        connection.Start(toSend);
        while (connection.State == TlsState.Handshaking)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation);
            if (read == 0)
            {
                return;
            }

            connection.Receive(buffer.AsSpan(0, read), toSend, plaintext);
            if (toSend.WrittenCount > 0)
            {
                await socket.SendAsync(toSend.WrittenMemory, SocketFlags.None, cancellation);
                toSend.ResetWrittenCount();
            }
        }
    }
}
