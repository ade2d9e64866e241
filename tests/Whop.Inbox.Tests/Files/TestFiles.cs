using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Whop.Inbox.Tests.Files;

/// <summary>Small files made in code for the upload tests, hostile ones included, and the upload call itself.</summary>
public static class TestFiles
{
    public const string Path = "/api/v1/files";

    public static HttpContent Multipart(string filename, string contentType, byte[] bytes, string part = "file")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var form = new MultipartFormDataContent();
        form.Add(file, part, filename);
        return form;
    }

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string filename, string contentType, byte[] bytes) =>
        client.PostAsync(Path, Multipart(filename, contentType, bytes));

    public static Task<JsonNode> UploadOkAsync(this HttpClient client, string filename, string contentType, byte[] bytes) =>
        client.UploadAsync(filename, contentType, bytes).OkJsonAsync();

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    /// <summary>A real PNG of <paramref name="width"/> × <paramref name="height"/>, one grey row repeated.</summary>
    public static byte[] Png(int width = 40, int height = 30)
    {
        var raw = new byte[(width * 3 + 1) * height];
        for (var i = 0; i < raw.Length; i++) raw[i] = i % (width * 3 + 1) == 0 ? (byte)0 : (byte)128;
        return PngOf(width, height, raw);
    }

    /// <summary>
    /// A decompression bomb: a few hundred bytes whose header declares <paramref name="width"/> × <paramref name="height"/>
    /// pixels (10 gigapixels by default), with a compressed stream of zeros behind it.
    /// </summary>
    public static byte[] PngBomb(int width = 100_000, int height = 100_000) => PngOf(width, height, new byte[64 * 1024]);

    private static byte[] PngOf(int width, int height, byte[] raw)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(raw);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// A JPEG <paramref name="width"/> wide and <paramref name="height"/> high as stored, whose EXIF says to
    /// turn it a quarter clockwise (orientation 6) and where it was taken (GPS 48°51' N).
    /// </summary>
    public static byte[] JpegWithGpsAndOrientation6(int width = 60, int height = 40)
    {
        using var image = NetVips.Image.Black(width, height, bands: 3) + 200;
        var jpeg = image.Cast(NetVips.Enums.BandFormat.Uchar).WriteToBuffer(".jpg", new NetVips.VOption { { "keep", NetVips.Enums.ForeignKeep.None } });
        var exif = Exif();
        var segment = new byte[4 + exif.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(exif.Length + 2));
        exif.CopyTo(segment, 4);
        // Right after the start-of-image marker.
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    public static readonly byte[] GpsMarker = Encoding.ASCII.GetBytes("GPSMARK");

    /// <summary>"Exif\0\0" and a little-endian TIFF: IFD0 with Orientation 6, a GPS IFD pointer and a note; the GPS IFD with latitude N 48/1 51/1 0/1.</summary>
    private static byte[] Exif()
    {
        var tiff = new byte[160];
        var s = tiff.AsSpan();
        "II"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 8);
        // IFD0 at 8: 3 entries.
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], 3);
        Entry(s[10..], 0x010E, 2, 8, 80);      // ImageDescription "GPSMARK\0" at 80
        Entry(s[22..], 0x0112, 3, 1, 6);       // Orientation = 6
        Entry(s[34..], 0x8825, 4, 1, 50);      // GPS IFD at 50
        BinaryPrimitives.WriteUInt32LittleEndian(s[46..], 0);
        // GPS IFD at 50: 2 entries.
        BinaryPrimitives.WriteUInt16LittleEndian(s[50..], 2);
        Entry(s[52..], 0x0001, 2, 2, 'N');     // GPSLatitudeRef "N"
        Entry(s[64..], 0x0002, 5, 3, 96);      // GPSLatitude, 3 rationals at 96
        BinaryPrimitives.WriteUInt32LittleEndian(s[76..], 0);
        GpsMarker.CopyTo(s[80..]);
        uint[] latitude = [48, 1, 51, 1, 0, 1];
        for (var i = 0; i < latitude.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(s[(96 + 4 * i)..], latitude[i]);
        return [.. "Exif\0\0"u8, .. tiff];
    }

    private static void Entry(Span<byte> at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], count);
        // A SHORT value sits in the first two bytes of the value field; ASCII of up to 4 bytes in place.
        if (type == 3) BinaryPrimitives.WriteUInt16LittleEndian(at[8..], (ushort)value);
        else BinaryPrimitives.WriteUInt32LittleEndian(at[8..], value);
    }
}
