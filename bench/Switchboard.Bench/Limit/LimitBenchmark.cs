using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Limit;

/// <summary>
/// <c>limit --json FILE [--seconds S]</c>: OpenSSL's own ceiling on this machine — <c>openssl s_time</c>
/// against <c>openssl s_server -www</c>, mutual TLS with the same P-256 certificates Switchboard uses, one
/// connection at a time — for TLS 1.2 and 1.3, new and reused sessions. The storm benchmark's handshake
/// rates are quoted as a share of these.
/// </summary>
internal static partial class LimitBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var json = Option(args, "--json");
        var seconds = int.Parse(Option(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var directory = Directory.CreateTempSubdirectory("switchboard-limit-").FullName;
        try
        {
            var pki = PkiLayout.Generate(directory, 1);
            var results = new List<LimitResult>();
            foreach (var (version, flag) in new[] { ("TLSv1.2", "-tls1_2"), ("TLSv1.3", "-tls1_3") })
            {
                foreach (var mode in new[] { "new", "reuse" })
                {
                    var result = await MeasureAsync(pki, version, flag, mode, seconds);
                    results.Add(result);
                    Console.Out.WriteLine($"{version} {mode,-5}  {result.ConnectionsPerSecond,8:F0} conn/s  ({result.Connections} in {result.RealSeconds} s; {result.ConnectionsPerClientCpuSecond:F0} per client CPU-s)");
                }
            }

            if (json is not null)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { benchmark = "limit", seconds, machine = Environment.ProcessorCount + " cores", openssl = await OpenSslVersionAsync(), results }, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<LimitResult> MeasureAsync(PkiLayout pki, string version, string flag, string mode, int seconds)
    {
        var agent = PkiLayout.AgentName(0);
        var port = FreePort();
        using var server = Start("openssl", "s_server", "-accept", $"127.0.0.1:{port}", "-Verify", "1", "-verify_return_error",
            "-CAfile", pki.CaCertificate, "-cert", pki.AgentCertificate(agent), "-key", pki.AgentKey(agent), "-www", "-quiet");
        try
        {
            await WaitForPortAsync(port);
            // With TLS 1.3, s_time -reuse resumes only when it fetches a page (-www), so both modes fetch one.
            using var client = Start("openssl", "s_time", "-connect", $"127.0.0.1:{port}", "-" + mode, flag, "-time", seconds.ToString(CultureInfo.InvariantCulture),
                "-www", "/", "-cert", pki.MasterCertificate, "-key", pki.MasterKey, "-CAfile", pki.CaCertificate);
            var output = await client.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds * 3 + 10));
            await client.WaitForExitAsync(deadline.Token);
            var real = RealLine().Match(output);
            var user = UserLine().Match(output);
            if (!real.Success || !user.Success)
            {
                throw new InvalidOperationException($"unexpected s_time output: {output}");
            }

            var connections = int.Parse(real.Groups[1].Value, CultureInfo.InvariantCulture);
            var realSeconds = double.Parse(real.Groups[2].Value, CultureInfo.InvariantCulture);
            return new LimitResult(version, mode, connections, realSeconds, connections / realSeconds,
                double.Parse(user.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"openssl s_server did not listen on {port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> OpenSslVersionAsync()
    {
        using var process = Start("openssl", "version");
        return (await process.StandardOutput.ReadToEndAsync()).Trim();
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    [GeneratedRegex(@"(\d+) connections in ([\d.]+) real seconds")]
    private static partial Regex RealLine();

    [GeneratedRegex(@"([\d.]+) connections/user sec")]
    private static partial Regex UserLine();
}
