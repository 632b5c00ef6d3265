using System.Formats.Asn1;

namespace Switchboard.Tls;

/// <summary>Edits of the DER that <c>i2d_SSL_SESSION</c> writes (OpenSSL's <c>SSL_SESSION_ASN1</c> sequence).</summary>
internal static class SessionDer
{
    // peer [3] EXPLICIT Certificate OPTIONAL
    private static readonly Asn1Tag PeerTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    /// <summary>
    /// The session without its peer certificate; every other field stays byte for byte. Bytes that are
    /// not a DER sequence come back unchanged, so importing them fails the way it would have anyway.
    /// </summary>
    public static byte[] WithoutPeer(byte[] der) => Strip(der) ?? der;

    /// <summary>The same from bytes that are not kept (a rented buffer): always a new array.</summary>
    public static byte[] WithoutPeer(ReadOnlySpan<byte> der) => Strip(der) ?? der.ToArray();

    /// <summary>
    /// Cuts the peer field out with spans: one array, of the final size. An AsnReader and AsnWriter cost
    /// three arrays and the readers per ticket, and a storm receives one ticket per handshake.
    /// </summary>
    /// <returns>null when there is nothing to cut (no peer field) or the bytes are not one DER sequence.</returns>
    private static byte[]? Strip(ReadOnlySpan<byte> der)
    {
        try
        {
            var outer = Asn1Tag.Decode(der, out _);
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out var contentOffset, out var contentLength, out var consumed);
            if (outer != Asn1Tag.Sequence || consumed != der.Length)
            {
                return null;
            }

            var content = der.Slice(contentOffset, contentLength);
            for (var offset = 0; offset < content.Length;)
            {
                var tag = Asn1Tag.Decode(content[offset..], out _);
                AsnDecoder.ReadEncodedValue(content[offset..], AsnEncodingRules.DER, out _, out _, out var fieldLength);
                if (tag == PeerTag)
                {
                    return Without(content, offset, fieldLength);
                }

                offset += fieldLength;
            }

            return null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>A SEQUENCE of <paramref name="content"/> less the <paramref name="length"/> bytes at <paramref name="start"/>.</summary>
    private static byte[] Without(ReadOnlySpan<byte> content, int start, int length)
    {
        var kept = content.Length - length;
        // DER's definite length, in as few octets as it takes: short form below 128, else 0x80 | count, then big-endian.
        var lengthOctets = 1;
        for (var rest = kept; kept >= 0x80 && rest > 0; rest >>= 8)
        {
            lengthOctets++;
        }

        var result = new byte[1 + lengthOctets + kept];
        result[0] = 0x30;
        if (lengthOctets == 1)
        {
            result[1] = (byte)kept;
        }
        else
        {
            result[1] = (byte)(0x80 | (lengthOctets - 1));
            for (var i = 0; i < lengthOctets - 1; i++)
            {
                result[1 + lengthOctets - 1 - i] = (byte)(kept >> (8 * i));
            }
        }

        var body = result.AsSpan(1 + lengthOctets);
        content[..start].CopyTo(body);
        content[(start + length)..].CopyTo(body[start..]);
        return result;
    }
}
