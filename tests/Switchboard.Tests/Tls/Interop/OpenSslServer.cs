using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Tests.Tls.Interop;

/// <summary>
/// A real <c>openssl s_server</c> on loopback requiring client certificates; killed on dispose.
/// <c>-verify_return_error</c> matters: without it the apps' verify callback logs a bad client chain and accepts it.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();

    private OpenSslServer(Process process, int port)
    {
        this._process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<OpenSslServer> StartAsync(string ca, string certificate, string key, string tlsFlag, int accepts, TimeSpan timeout)
    {
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true, // s_server reads stdin; keep it open and quiet
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "s_server", "-Verify", "1", "-verify_return_error", "-CAfile", ca, "-cert", certificate, "-key", key,
                     "-accept", $"127.0.0.1:{port}", tlsFlag, "-naccept", accepts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl s_server");
        var server = new OpenSslServer(process, port);
        var accepting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Record(e.Data, accepting);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await accepting.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"openssl s_server did not print ACCEPT within {timeout}: {server.Output}");
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed but not yet reaped; the OS will finish it.
        }
        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private void Record(string? line, TaskCompletionSource? accepting)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (accepting is not null && line.StartsWith("ACCEPT", StringComparison.Ordinal))
        {
            accepting.TrySetResult();
        }
    }
}
