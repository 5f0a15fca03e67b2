using SbdServer.Core.Errors;

namespace SbdServer.Core.Devices;

/// <summary>Parses and prints the device fields the API carries as text; refusals name the field and the choices.</summary>
public static class DeviceFields
{
    public const int MaxDescriptionLength = 128;

    public static string ProtocolText(DeviceProtocol protocol) => protocol == DeviceProtocol.Sip ? "SIP" : "SCCP";

    public static DeviceProtocol ParseProtocol(string text) => text.Trim().ToUpperInvariant() switch
    {
        "SIP" => DeviceProtocol.Sip,
        "SCCP" => DeviceProtocol.Sccp,
        _ => throw new InvalidInputException("Field 'protocol' must be SIP or SCCP."),
    };

    public static DeviceSecurityMode ParseSecurityProfile(string text) => text.Trim().ToUpperInvariant() switch
    {
        "NONSECURE" or "NON-SECURE" => DeviceSecurityMode.NonSecure,
        "AUTHENTICATED" => DeviceSecurityMode.Authenticated,
        "ENCRYPTED" => DeviceSecurityMode.Encrypted,
        _ => throw new InvalidInputException("Field 'securityProfile' must be NonSecure, Authenticated or Encrypted."),
    };

    public static PhoneModel ParseModel(string text) => PhoneModels.TryGet(text, out var model)
        ? model
        : throw new InvalidInputException(
            $"Field 'model': '{Shorten(text)}' is not a known phone model; known models: " +
            string.Join(", ", PhoneModels.All.Select(m => m.Name)) + ".");

    public static DeviceName ParseName(string? text) => DeviceName.TryParse(text, out var name, out var error)
        ? name
        : throw new InvalidInputException("Field 'name': " + error);

    public static string CheckDescription(string text)
    {
        if (text.Length > MaxDescriptionLength)
        {
            throw new InvalidInputException($"Field 'description' has {text.Length} characters; the limit is {MaxDescriptionLength}.");
        }

        if (text.Any(char.IsControl))
        {
            throw new InvalidInputException("Field 'description' must not contain control characters.");
        }

        return text;
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
