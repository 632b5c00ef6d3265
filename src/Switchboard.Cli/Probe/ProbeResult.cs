using System.Text;
using System.Text.Json;

namespace Switchboard.Cli.Probe;

/// <summary>One line of <c>probe</c> output (DESIGN.md §5).</summary>
internal sealed record ProbeResult(int N, bool Ok, string? Protocol, string? Cipher, bool Resumed, double? HandshakeMs, string? Error)
{
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("n", N);
            json.WriteBoolean("ok", Ok);
            WriteStringOrNull(json, "protocol", Protocol);
            WriteStringOrNull(json, "cipher", Cipher);
            json.WriteBoolean("resumed", Resumed);
            if (HandshakeMs is { } ms)
            {
                json.WriteNumber("handshake_ms", Math.Round(ms, 3));
            }
            else
            {
                json.WriteNull("handshake_ms");
            }

            WriteStringOrNull(json, "error", Error);
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
