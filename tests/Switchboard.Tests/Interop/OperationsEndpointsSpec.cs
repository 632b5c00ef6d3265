using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Interop;

/// <summary>
/// <c>switchboard connect</c> with <c>switchboard.metrics</c> on, over real HTTP: the Prometheus scrape
/// agrees with the status, /status and /status/endpoints/NAME answer, the health endpoints say live and
/// ready, and an OTLP collector receives the handshake counter.
/// </summary>
public sealed partial class OperationsEndpointsSpec : IAsyncLifetime
{
    private const int Agents = 3;
    private static readonly TestPki Pki = TestPki.Instance;
    private AgentFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(Pki.Layout, Agents, port: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task The_daemon_serves_metrics_status_and_health_over_HTTP_and_pushes_OTLP()
    {
        using var collector = new OtlpCollector();
        var directory = Directory.CreateTempSubdirectory("connect-operations-").FullName;
        var config = Path.Combine(directory, "switchboard.conf");
        await File.WriteAllTextAsync(config, $$"""
            switchboard {
              tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }
              endpoints = [ {{string.Join(", ", _fleet.Endpoints().Select(e => $"{{ name = \"{e.Name}\", host = \"{e.Host}\", port = {e.Port} }}"))}} ]
              metrics {
                prometheus { host = "127.0.0.1", port = 0 }
                otlp { endpoint = "{{collector.Endpoint}}", interval = 1s }
              }
            }
            """);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliBinary.Dll, "connect", "--config", config })
        {
            info.ArgumentList.Add(a);
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
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var root = await address.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.AssertAsync(async () =>
            {
                using var ready = await http.GetAsync(new Uri(root, "/health/ready"));
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }, TimeSpan.FromSeconds(30));
            using (var live = await http.GetAsync(new Uri(root, "/health/live")))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                Assert.Contains("\"healthy\"", await live.Content.ReadAsStringAsync());
            }

            var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(root, "/status"))).RootElement;
            Assert.True(status.GetProperty("connected").GetInt32() == Agents, $"status: {status}");
            var full = status.GetProperty("handshakes").GetProperty("full").GetInt64();
            var resumed = status.GetProperty("handshakes").GetProperty("resumed").GetInt64();

            // The scrape counts the same handshakes the status does, split by the resumed label.
            var metrics = await http.GetStringAsync(new Uri(root, "/metrics"));
            Assert.True(full == Sum(metrics, resumed: false), string.Join("\n", metrics.Split('\n').Where(l => l.Contains("handshakes", StringComparison.Ordinal))));
            Assert.Equal(resumed, Sum(metrics, resumed: true));
            Assert.Contains("dotnet_gc_collections", metrics); // the runtime's own meter rides along

            var endpoint = _fleet.Endpoints()[0].Name;
            var one = JsonDocument.Parse(await http.GetStringAsync(new Uri(root, $"/status/endpoints/{endpoint}"))).RootElement;
            Assert.Equal("connected", one.GetProperty("state").GetString());
            using (var missing = await http.GetAsync(new Uri(root, "/status/endpoints/no-such-agent")))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }

            await Eventually.AssertAsync(() => Assert.True(collector.Saw("switchboard.tls.handshakes"),
                $"the collector got {collector.Requests} requests, none with the handshake counter"), TimeSpan.FromSeconds(15));
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Successful outbound handshakes in a Prometheus scrape, for one value of the resumed label.</summary>
    private static long Sum(string scrape, bool resumed) => scrape.Split('\n')
        .Where(line => line.StartsWith("switchboard_tls_handshakes_total{", StringComparison.Ordinal)
                       && line.Contains("direction=\"outbound\"", StringComparison.Ordinal)
                       && line.Contains("result=\"success\"", StringComparison.Ordinal)
                       && line.Contains($"resumed=\"{(resumed ? "true" : "false")}\"", StringComparison.Ordinal))
        .Sum(line => long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"operations on (http://\S+?)/? \(")]
    private static partial Regex OperationsLine();

    /// <summary>An OTLP/HTTP receiver reduced to what the spec needs: it keeps each request's body (protobuf carries names as plain UTF-8).</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<byte[]> _bodies = [];
        private readonly Task _serving;

        public OtlpCollector()
        {
            var port = FreePort();
            Endpoint = $"http://127.0.0.1:{port}/v1/metrics";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _serving = ServeAsync();
        }

        public string Endpoint { get; }

        public int Requests
        {
            get
            {
                lock (_bodies)
                {
                    return _bodies.Count;
                }
            }
        }

        public bool Saw(string text)
        {
            lock (_bodies)
            {
                return _bodies.Any(body => Encoding.UTF8.GetString(body).Contains(text, StringComparison.Ordinal));
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _ = _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_bodies)
                {
                    _bodies.Add(body.ToArray());
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)socket.LocalEndPoint!).Port;
        }
    }
}
