using System.Text.Json;
using Switchboard.Cluster;
using Switchboard.Supervision;

namespace Switchboard.Cli.Daemon;

/// <summary>
/// The <c>--status-file</c> JSON of the CLI contract (architecture §12) (<c>endpoints</c>, <c>connected</c>, <c>handshakes</c> are
/// the contract; the rest is extra). Written atomically so a reader never sees half a file.
/// </summary>
internal static class StatusFile
{
    /// <param name="cluster">The whole cluster's figures when this daemon is a cluster node; the rest of the document is this node's.</param>
    public static byte[] Render(StatusReport status, double handshakesPerSecond, ClusterStatusReport? cluster = null)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("endpoints", status.Endpoints.Length);
            json.WriteNumber("connected", status.Connected);
            json.WriteStartObject("handshakes");
            json.WriteNumber("full", status.FullHandshakes);
            json.WriteNumber("resumed", status.ResumedHandshakes);
            json.WriteNumber("failed", status.FailedHandshakes);
            json.WriteNumber("per_second", Math.Round(handshakesPerSecond, 1));
            json.WriteEndObject();
            json.WriteStartObject("states");
            foreach (var state in Enum.GetValues<EndpointState>())
            {
                json.WriteNumber(state.ToString().ToLowerInvariant(), status.Count(state));
            }

            json.WriteEndObject();
            json.WriteStartObject("admission");
            json.WriteNumber("queued", status.AdmissionQueued);
            json.WriteNumber("active", status.AdmissionActive);
            json.WriteEndObject();
            if (status.Resumption is { } resumption)
            {
                json.WriteStartObject("resumption");
                json.WriteNumber("sessions", resumption.Sessions);
                json.WriteNumber("bytes", resumption.Bytes);
                json.WriteNumber("budget_bytes", resumption.BudgetBytes);
                json.WriteNumber("endpoints_without_session", resumption.EndpointsWithoutSession);
                json.WriteEndObject();
            }

            // The agent certificate that runs out first: what an operator renews next.
            if (status.Endpoints.Where(e => e.PeerCertificateNotAfter is not null).MinBy(e => e.PeerCertificateNotAfter) is { } first)
            {
                json.WriteStartObject("certificates");
                json.WriteString("earliest_expiry", first.PeerCertificateNotAfter!.Value);
                json.WriteString("earliest_expiry_endpoint", first.Name);
                json.WriteEndObject();
            }

            if (cluster is not null)
            {
                WriteCluster(json, cluster);
            }

            json.WriteString("time", DateTimeOffset.UtcNow);
            json.WriteStartArray("down");
            foreach (var endpoint in status.Endpoints.Where(e => e.State != EndpointState.Connected && e.LastError is not null).Take(100))
            {
                json.WriteStartObject();
                json.WriteString("name", endpoint.Name);
                json.WriteString("state", endpoint.State.ToString().ToLowerInvariant());
                json.WriteNumber("attempts", endpoint.Attempts);
                json.WriteString("last_error", endpoint.LastError);
                if (endpoint.NextRetryAt is { } retry)
                {
                    json.WriteString("next_retry", retry);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static async Task WriteAsync(string path, byte[] content)
    {
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    public static string Line(StatusReport status, double handshakesPerSecond, ClusterStatusReport? cluster = null) =>
        $"connected {status.Connected}/{status.Endpoints.Length}  queued {status.Count(EndpointState.Queued)}  " +
        $"connecting {status.Count(EndpointState.Connecting) + status.Count(EndpointState.Handshaking)}  backoff {status.Count(EndpointState.Backoff)}  " +
        $"| handshakes full {status.FullHandshakes} resumed {status.ResumedHandshakes} failed {status.FailedHandshakes}  {handshakesPerSecond:F0}/s" +
        (cluster is null ? string.Empty : $"  | cluster connected {cluster.Connected}/{cluster.Endpoints} on {cluster.Nodes.Count(n => n.Reachable)}/{cluster.Nodes.Length} nodes");

    private static void WriteCluster(Utf8JsonWriter json, ClusterStatusReport cluster)
    {
        json.WriteStartObject("cluster");
        json.WriteNumber("endpoints", cluster.Endpoints);
        json.WriteNumber("connected", cluster.Connected);
        json.WriteStartObject("handshakes");
        json.WriteNumber("full", cluster.FullHandshakes);
        json.WriteNumber("resumed", cluster.ResumedHandshakes);
        json.WriteNumber("failed", cluster.FailedHandshakes);
        json.WriteEndObject();
        json.WriteStartArray("nodes");
        foreach (var node in cluster.Nodes)
        {
            json.WriteStartObject();
            json.WriteString("node", node.Node);
            json.WriteBoolean("reachable", node.Reachable);
            json.WriteNumber("endpoints", node.Endpoints);
            json.WriteNumber("connected", node.Connected);
            json.WriteStartObject("handshakes");
            json.WriteNumber("full", node.FullHandshakes);
            json.WriteNumber("resumed", node.ResumedHandshakes);
            json.WriteNumber("failed", node.FailedHandshakes);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
