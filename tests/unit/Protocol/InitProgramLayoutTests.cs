using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using OciRuntime.Protocol;
using OciRuntime.Tests.Conformance.Infrastructure;

namespace OciRuntime.Tests.Unit.Protocol;

/// <summary>
/// c/init_program.h is the source of the init program's layout: its op codes, and for each operation a struct whose
/// fields are the operation's numbers and strings in wire order. Protocol/InitProgram.cs mirrors it by hand (the InitOp
/// enum, one method per operation with the arguments by the same names); these tests read the header and hold the two
/// together.
/// </summary>
public sealed class InitProgramLayoutTests
{
    /// <summary>Parameters of an operation's method that are no argument of it.</summary>
    private static readonly string[] NotArguments = ["text", "okErrno", "elseErrno"];

    private static readonly string Header =
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "OciRuntime.Native", "c", "init_program.h"));

    private static string Snake(string pascal) => Regex.Replace(pascal, "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant();

    private static string Camel(string snake) =>
        Regex.Replace(snake, "_([a-z])", m => m.Groups[1].Value.ToUpperInvariant());

    [Fact]
    public void The_operation_numbers_are_those_of_init_program_h()
    {
        var cNumbers = Regex.Matches(Header, @"OCIRT_OP_(\w+) = (\d+),").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        var csharpNumbers = Enum.GetValues<InitOp>().ToDictionary(op => Snake(op.ToString()), op => (int)op);

        csharpNumbers.Should().Equal(cNumbers);
    }

    [Fact]
    public void The_seccomp_load_points_are_those_of_init_program_h()
    {
        var cNumbers = Regex.Matches(Header, @"OCIRT_SECCOMP_LOAD_(\w+) = (\d+),").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        var csharpNumbers = Enum.GetValues<SeccompLoad>().ToDictionary(load => Snake(load.ToString()), load => (int)load);

        csharpNumbers.Should().Equal(cNumbers);
    }

    [Fact]
    public void The_header_s_size_and_counts_are_those_of_init_program_h()
    {
        int numbers = int.Parse(Regex.Match(Header, @"#define OCIRT_OP_NUMBERS (\d+)").Groups[1].Value);
        int maxStrings = int.Parse(Regex.Match(Header, @"#define OCIRT_OP_MAX_STRINGS (\d+)").Groups[1].Value);
        string fields = Regex.Match(Header, @"struct ocirt_op_header \{(.*?)\}", RegexOptions.Singleline).Groups[1].Value;
        int size = Regex.Matches(fields, @"u?int(\d+)_t \w+(\[OCIRT_OP_NUMBERS\])?;")
            .Sum(m => int.Parse(m.Groups[1].Value) / 8 * (m.Groups[2].Success ? numbers : 1));

        (numbers, maxStrings, size).Should().Be((InitProgram.NumberCount, InitProgram.MaxStrings, InitProgram.HeaderSize));
    }

    public static TheoryData<string> AllOperations() => new(Enum.GetNames<InitOp>());

    [Theory]
    [MemberData(nameof(AllOperations))]
    public void Each_operation_s_method_puts_its_arguments_where_init_program_h_s_struct_has_its_fields(string name)
    {
        var code = Enum.Parse<InitOp>(name);
        var (numberFields, stringFields) = CFields(code);
        var method = typeof(InitProgram).GetMethods().Single(m => m.Name == name && m.ReturnType == typeof(InitOperation));
        var arguments = method.GetParameters().Where(p => !NotArguments.Contains(p.Name)).ToList();
        int boolCount = arguments.Count(p => p.ParameterType == typeof(bool));

        // Once with every bool false, then once per bool set alone: each slot must hold the argument of its field's name.
        for (int trueBool = -1; trueBool < boolCount; trueBool++)
        {
            var values = ValuesFor(method.GetParameters(), trueBool);
            var op = (InitOperation)method.Invoke(new InitProgram(), values.Select(v => v.Value).ToArray())!;

            op.Code.Should().Be(code);
            op.Numbers.Should().Equal(numberFields.Select(field => ExpectedNumber(field, values)).Concat(new long[InitProgram.NumberCount - numberFields.Count]),
                $"{name}'s numbers are struct ocirt_{Snake(name).ToLowerInvariant()}_args's int64_t fields ({string.Join(", ", numberFields)})");
            op.Strings.Select(Convert.ToHexString).Should().Equal(stringFields.Select(field => Convert.ToHexString(ExpectedString(field, values))),
                $"{name}'s strings are the struct's struct ocirt_string fields ({string.Join(", ", stringFields)})");
        }
        var named = numberFields.Concat(stringFields).Select(Camel).ToHashSet();
        arguments.Select(p => p.Name).Should().BeSubsetOf(named, "every argument of the method is a field of the struct");
    }

    [Fact]
    public void The_executor_decodes_each_operation_with_as_many_numbers_as_its_struct_has()
    {
        string executor = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "OciRuntime.Native", "c", "init.c"));
        var decoded = Regex.Matches(executor, @"\[OCIRT_OP_(\w+)\] = (?:WITH_ARGS\(\w+, (\d+)\)|WITHOUT_ARGS\(\w+\)|\{ NULL, (\d+),)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0);

        decoded.Should().Equal(Enum.GetValues<InitOp>().ToDictionary(op => Snake(op.ToString()), op => CFields(op).Numbers.Count));
    }

    /// <summary>The int64_t and struct ocirt_string fields of the operation's args struct, in order (none without one).</summary>
    private static (List<string> Numbers, List<string> Strings) CFields(InitOp code)
    {
        var body = Regex.Match(Header, $@"struct ocirt_{Snake(code.ToString()).ToLowerInvariant()}_args \{{(.*?)\}};", RegexOptions.Singleline);
        var fields = Regex.Matches(body.Groups[1].Value, @"(int64_t|struct ocirt_string) (\w+);").Select(m => (Type: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        return (fields.Where(f => f.Type == "int64_t").Select(f => f.Name).ToList(), fields.Where(f => f.Type != "int64_t").Select(f => f.Name).ToList());
    }

    /// <summary>A distinct value per parameter (by name): numbers from 100 up, bools false but the one asked for, lists of 2 + their position.</summary>
    private static Dictionary<string, object?> ValuesFor(ParameterInfo[] parameters, int trueBool)
    {
        var values = new Dictionary<string, object?>();
        int boolIndex = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var type = p.ParameterType;
            values[p.Name!] = p.Name switch
            {
                "text" => "error text",
                "okErrno" or "elseErrno" => 0,
                _ when type == typeof(bool) => boolIndex++ == trueBool,
                _ when type == typeof(string) => $"{p.Name} value",
                _ when type == typeof(byte[]) => Encoding.UTF8.GetBytes($"{p.Name} bytes"),
                _ when type == typeof(IReadOnlyList<string>) => Enumerable.Range(0, 2 + i).Select(n => $"{p.Name}{n}").ToList(),
                _ when type == typeof(IReadOnlyList<uint>) => Enumerable.Range(0, 2 + i).Select(n => (uint)(1000 + n)).ToList(),
                _ when type.IsEnum => Enum.GetValues(type).GetValue(i % Enum.GetValues(type).Length),
                _ => Convert.ChangeType(100 + i, type),
            };
        }
        return values;
    }

    private static long ExpectedNumber(string field, Dictionary<string, object?> values)
    {
        if (field.EndsWith("_count") && values.TryGetValue(Camel(field[..^"_count".Length]), out var list) && list is System.Collections.ICollection collection)
            return collection.Count;
        values.Should().ContainKey(Camel(field), "the method takes the field {0} by its name", field);
        return values[Camel(field)] switch
        {
            bool flag => flag ? 1 : 0,
            Enum value => Convert.ToInt64(value),
            ulong number => (long)number,
            var number => Convert.ToInt64(number),
        };
    }

    private static byte[] ExpectedString(string field, Dictionary<string, object?> values)
    {
        values.Should().ContainKey(Camel(field), "the method takes the field {0} by its name", field);
        return values[Camel(field)] switch
        {
            string text => Encoding.UTF8.GetBytes(text),
            byte[] bytes => bytes,
            IReadOnlyList<string> strings => Encoding.UTF8.GetBytes(string.Join('\0', strings)),
            IReadOnlyList<uint> numbers => numbers.SelectMany(n => { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, n); return b; }).ToArray(),
            var other => throw new InvalidOperationException($"{field}: no string for {other}"),
        };
    }
}
