using Google.Protobuf;

namespace Metrix;

/// <summary>
/// Prometheus remote write 1.0's body: a <c>WriteRequest</c> protobuf (timeseries = 1; a
/// <c>TimeSeries</c> has labels = 1 and samples = 2; a <c>Label</c> name = 1, value = 2; a
/// <c>Sample</c> value = 1 as a double, timestamp = 2 in milliseconds), block-snappy compressed.
/// Samples of one series go in one <c>TimeSeries</c>, in time order.
/// </summary>
internal static class RemoteWriteEncoding
{
    public static byte[] Encode(IReadOnlyList<RemoteWriteSample> samples)
    {
        using var body = new MemoryStream();
        var request = new CodedOutputStream(body);
        foreach (var series in samples.GroupBy(s => s.SeriesKey, StringComparer.Ordinal))
        {
            var encoded = TimeSeries(series.First().Labels, series.OrderBy(s => s.Milliseconds));
            request.WriteTag(1, WireFormat.WireType.LengthDelimited);
            request.WriteBytes(ByteString.CopyFrom(encoded));
        }

        request.Flush();
        return Snappier.Snappy.CompressToArray(body.ToArray());
    }

    private static byte[] TimeSeries(KeyValuePair<string, string>[] labels, IEnumerable<RemoteWriteSample> samples)
    {
        using var buffer = new MemoryStream();
        var series = new CodedOutputStream(buffer);
        foreach (var (name, value) in labels)
        {
            using var label = new MemoryStream();
            var labelStream = new CodedOutputStream(label);
            labelStream.WriteTag(1, WireFormat.WireType.LengthDelimited);
            labelStream.WriteString(name);
            labelStream.WriteTag(2, WireFormat.WireType.LengthDelimited);
            labelStream.WriteString(value);
            labelStream.Flush();
            series.WriteTag(1, WireFormat.WireType.LengthDelimited);
            series.WriteBytes(ByteString.CopyFrom(label.ToArray()));
        }

        foreach (var sample in samples)
        {
            using var encoded = new MemoryStream();
            var sampleStream = new CodedOutputStream(encoded);
            sampleStream.WriteTag(1, WireFormat.WireType.Fixed64);
            sampleStream.WriteDouble(sample.Value);
            sampleStream.WriteTag(2, WireFormat.WireType.Varint);
            sampleStream.WriteInt64(sample.Milliseconds);
            sampleStream.Flush();
            series.WriteTag(2, WireFormat.WireType.LengthDelimited);
            series.WriteBytes(ByteString.CopyFrom(encoded.ToArray()));
        }

        series.Flush();
        return buffer.ToArray();
    }
}
