using System.Buffers;
using System.Text;
using System.Text.Json;
using OciRuntime.Lifecycle;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>state.json's encoder must write what Utf8JsonWriter writes without one, for every character.</summary>
public sealed class PlainAsciiJsonEncoderTests
{
    /// <summary>Every ASCII character, then non-ASCII ones, alone and among plain text, as names and values.</summary>
    public static TheoryData<string> Texts()
    {
        var texts = new TheoryData<string>();
        for (int c = 0; c < 0x80; c++)
        {
            texts.Add(((char)c).ToString());
            texts.Add($"/run/a{(char)c}b<c\"d");
        }
        foreach (string text in new[] { "é", "/bundles/café", "日本語 & co", "emoji 😀 \n tail", "\u2028\u2029", "mixed\u007f\u0080\u00ff", "" })
            texts.Add(text);
        return texts;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Writes_what_the_writer_writes_without_an_encoder(string text)
    {
        Written(PlainAsciiJsonEncoder.Instance, text).Should().Be(Written(null, text));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Finds_the_first_character_to_escape_where_the_default_encoder_does(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);

        PlainAsciiJsonEncoder.Instance.FindFirstCharacterToEncodeUtf8(utf8)
            .Should().Be(System.Text.Encodings.Web.JavaScriptEncoder.Default.FindFirstCharacterToEncodeUtf8(utf8));
    }

    /// <summary>The text as a property name and as a value, given as UTF-16 and as UTF-8, on one line.</summary>
    private static string Written(System.Text.Encodings.Web.JavaScriptEncoder? encoder, string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString(text, text);
            writer.WriteString(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(text));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
