namespace SbdServer.Crypto.Certificates;

/// <summary>One decoded PEM block: its label and DER contents. The owner wipes <see cref="Der"/> for keys.</summary>
internal sealed record PemBlock(string Label, byte[] Der);
