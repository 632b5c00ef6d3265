using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Limit;

/// <summary>
/// <c>limit --json FILE [--seconds S] [--key ecdsa-p256|rsa-2048|rsa-4096]</c>: OpenSSL's own floor on this
/// machine — <c>openssl s_time</c> against <c>openssl s_server -www</c>, mutual TLS with certificates of the
/// key type the storm uses, one connection at a time — for TLS 1.2 and 1.3, new and reused sessions: the
/// connections per second, and the CPU (user + system) the client paid per connection. The storm runs the
/// same measurement on its own certificates before its phases and reports its manager's CPU per handshake
/// as a ratio to it.
/// </summary>
internal static partial class LimitBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var json = Option(args, "--json");
        var seconds = int.Parse(Option(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var keyName = Option(args, "--key") ?? KeyAlgorithm.EcdsaP256.Name();
        if (!KeyAlgorithmNames.TryParse(keyName, out var key))
        {
            Console.Error.WriteLine($"limit: --key must be ecdsa-p256, rsa-2048 or rsa-4096, not '{keyName}'");
            return 2;
        }

        var directory = Directory.CreateTempSubdirectory("switchboard-limit-").FullName;
        try
        {
            var pki = PkiLayout.Generate(directory, 1, key);
            var results = new List<LimitResult>();
            foreach (var version in new[] { "1.2", "1.3" })
            {
                foreach (var mode in new[] { "new", "reuse" })
                {
                    var result = await MeasureAsync(pki, version, mode, seconds);
                    results.Add(result);
                    Console.Out.WriteLine(Describe(result));
                }
            }

            if (json is not null)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { benchmark = "limit", seconds, key = key.Name(), machine = Environment.ProcessorCount + " cores", openssl = await OpenSslVersionAsync(), results }, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The floor for a storm: new and reused connections at <paramref name="tls"/> ("1.2" or "1.3"), on the
    /// storm's own certificates, <paramref name="samples"/> of each, interleaved. With <paramref name="before"/>
    /// (the samples taken before a storm's phases), these are the ones after them, added to those.
    /// </summary>
    public static async Task<TlsFloor> FloorAsync(PkiLayout pki, KeyAlgorithm key, string tls, int seconds, int samples, TextWriter log, TlsFloor? before = null)
    {
        var fresh = new List<LimitResult>(before?.NewResults ?? []);
        var reuse = new List<LimitResult>(before?.ReuseResults ?? []);
        var when = before is null ? "before the phases" : "after the phases";
        for (var i = 0; i < samples; i++)
        {
            fresh.Add(await MeasureAsync(pki, tls, "new", seconds));
            log.WriteLine($"storm: OpenSSL's floor {when}, sample {i + 1}/{samples}: {Describe(fresh[^1])}");
            reuse.Add(await MeasureAsync(pki, tls, "reuse", seconds));
            log.WriteLine($"storm: OpenSSL's floor {when}, sample {i + 1}/{samples}: {Describe(reuse[^1])}");
        }

        return new TlsFloor(key.Name(), fresh[0].Protocol, await OpenSslVersionAsync(), seconds, fresh, reuse,
            before?.SamplesBeforePhases ?? fresh.Count);
    }

    private static string Describe(LimitResult result) =>
        $"{result.Protocol} {result.Mode,-5}  {result.ConnectionsPerSecond,8:F0} conn/s  ({result.Connections} in {result.RealSeconds} s; client CPU {result.ClientCpuMsPerConnection:F3} ms per connection, user + system)";

    private static async Task<LimitResult> MeasureAsync(PkiLayout pki, string tls, string mode, int seconds)
    {
        var (version, flag) = tls == "1.2" ? ("TLSv1.2", "-tls1_2") : ("TLSv1.3", "-tls1_3");
        var agent = PkiLayout.AgentName(0);
        var port = FreePort();
        using var server = Start("openssl", "s_server", "-accept", $"127.0.0.1:{port}", "-Verify", "1", "-verify_return_error",
            "-CAfile", pki.CaCertificate, "-cert", pki.AgentCertificate(agent), "-key", pki.AgentKey(agent), "-www", "-quiet");
        try
        {
            await WaitForPortAsync(port);
            // With TLS 1.3, s_time -reuse resumes only when it fetches a page (-www), so both modes fetch one.
            // Run under a shell whose `times` prints its children's user and system time after s_time has
            // exited: s_time itself reports user time only, and a reaped child's rusage is gone.
            using var client = Start("bash", "-c", "\"$@\" && times", "bash",
                "openssl", "s_time", "-connect", $"127.0.0.1:{port}", "-" + mode, flag, "-time", seconds.ToString(CultureInfo.InvariantCulture),
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

            // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.567s".
            var children = TimesLine().Matches(output);
            if (children.Count < 2)
            {
                throw new InvalidOperationException($"no children's times after s_time: {output}");
            }

            var cpu = Minutes(children[1].Groups[1]) + Minutes(children[1].Groups[2]);
            var connections = int.Parse(real.Groups[1].Value, CultureInfo.InvariantCulture);
            var realSeconds = double.Parse(real.Groups[2].Value, CultureInfo.InvariantCulture);
            return new LimitResult(version, mode, connections, realSeconds, connections / realSeconds,
                double.Parse(user.Groups[1].Value, CultureInfo.InvariantCulture), Math.Round(cpu, 3), Math.Round(cpu * 1000 / Math.Max(1, connections), 4));
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

    [GeneratedRegex(@"^(\d+m[\d.]+s) (\d+m[\d.]+s)$", RegexOptions.Multiline)]
    private static partial Regex TimesLine();

    private static double Minutes(Group time)
    {
        var text = time.Value;
        var m = text.IndexOf('m', StringComparison.Ordinal);
        return int.Parse(text[..m], CultureInfo.InvariantCulture) * 60 + double.Parse(text[(m + 1)..^1], CultureInfo.InvariantCulture);
    }
}
