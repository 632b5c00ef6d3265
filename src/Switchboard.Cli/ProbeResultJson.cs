using System.Text;
using System.Text.Json;
using Switchboard.Diagnostics;

namespace Switchboard.Cli;

/// <summary>One line of <c>probe</c> output, as scripts read it: <c>{"n":1,"ok":true,"protocol":"TLSv1.3",...}</c>.</summary>
internal static class ProbeResultJson
{
    public static string ToJson(this ProbeResult result)
    {
        var (n, ok, protocol, cipher, resumed, handshakeMs, error) = result;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("n", n);
            json.WriteBoolean("ok", ok);
            WriteStringOrNull(json, "protocol", protocol);
            WriteStringOrNull(json, "cipher", cipher);
            json.WriteBoolean("resumed", resumed);
            if (handshakeMs is { } ms)
            {
                json.WriteNumber("handshake_ms", Math.Round(ms, 3));
            }
            else
            {
                json.WriteNull("handshake_ms");
            }

            WriteStringOrNull(json, "error", error);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
