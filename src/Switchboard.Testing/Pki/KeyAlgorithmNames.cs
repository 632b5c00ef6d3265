namespace Switchboard.Testing.Pki;

public static class KeyAlgorithmNames
{
    public static bool TryParse(string text, out KeyAlgorithm algorithm)
    {
        switch (text)
        {
            case "ecdsa-p256": algorithm = KeyAlgorithm.EcdsaP256; return true;
            case "rsa-2048": algorithm = KeyAlgorithm.Rsa2048; return true;
            case "rsa-4096": algorithm = KeyAlgorithm.Rsa4096; return true;
            default: algorithm = default; return false;
        }
    }

    public static string Name(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => "ecdsa-p256",
        KeyAlgorithm.Rsa2048 => "rsa-2048",
        KeyAlgorithm.Rsa4096 => "rsa-4096",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
