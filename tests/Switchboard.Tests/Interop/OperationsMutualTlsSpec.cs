using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.Interop;

/// <summary>
/// The operations listener with <c>metrics.prometheus.mutual-tls = on</c>: HTTPS on the master's
/// certificate, and only a client with a certificate from the CA bundle gets an answer, so it may bind a
/// non-loopback address.
/// </summary>
public sealed partial class OperationsMutualTlsSpec
{
    private static readonly TestPki Pki = TestPki.Instance;

    [Fact]
    public void A_non_loopback_bind_is_accepted_with_mutual_tls_and_refused_without()
    {
        var tls = $$"""switchboard.tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }""";
        SettingsResult Read(string metrics) => SettingsLoader.Read(ConfigurationFactory.ParseString(tls + "\n" + metrics).WithFallback(SettingsLoader.LoadReference()));

        var open = Read("""switchboard.metrics.prometheus { host = "0.0.0.0", port = 9464 }""");
        var sealedListener = Read("""switchboard.metrics.prometheus { host = "0.0.0.0", port = 9464, mutual-tls = on }""");

        var problem = Assert.Single(open.Problems);
        Assert.Equal("switchboard.metrics.prometheus.host", problem.Path);
        Assert.Contains("set mutual-tls = on", problem.Message, StringComparison.Ordinal);
        Assert.True(sealedListener.IsValid, string.Join("; ", sealedListener.Problems));
        Assert.True(sealedListener.Settings!.Metrics!.MutualTls);
    }

    [Fact]
    public async Task Only_a_client_with_a_certificate_from_the_CA_gets_an_answer()
    {
        var directory = Directory.CreateTempSubdirectory("connect-operations-mtls-").FullName;
        var config = Path.Combine(directory, "switchboard.conf");
        await File.WriteAllTextAsync(config, $$"""
            switchboard {
              tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }
              metrics.prometheus { host = "127.0.0.1", port = 0, mutual-tls = on }
            }
            """);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { CliBinary.Dll, "connect", "--config", config })
        {
            info.ArgumentList.Add(argument);
        }

        using var daemon = Process.Start(info)!;
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && OperationsLine().Match(line) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var ca = CaBundle.Load(Pki.Layout.CaCertificate);
        var (agentCertificate, agentKey) = Pki.Agent(0);
        using var withCertificate = Client(ca, X509Certificate2.CreateFromPemFile(agentCertificate, agentKey));
        using var without = Client(ca, null);
        try
        {
            var root = await address.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("https", root.Scheme);

            using (var live = await withCertificate.GetAsync(new Uri(root, "/health/live")))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            await Assert.ThrowsAsync<HttpRequestException>(() => without.GetAsync(new Uri(root, "/status")));
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A client that trusts the master's certificate through the test CA (not the system's roots).</summary>
    private static HttpClient Client(CaBundle ca, X509Certificate2? certificate)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, server, _, _) => server is not null && ca.Verifies(server, out _),
        };
        if (certificate is not null)
        {
            handler.ClientCertificates.Add(certificate);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    [GeneratedRegex(@"operations on (https://\S+?)/? \(")]
    private static partial Regex OperationsLine();
}
