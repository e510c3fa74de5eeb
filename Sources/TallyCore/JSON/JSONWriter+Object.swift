extension JSONWriter {
    /// The members of an object being written by ``JSONWriter/writeObject(_:)``. Names are
    /// literals written as they are: plain ASCII with nothing to escape.
    public struct Members {
        fileprivate let writer: JSONWriter
        fileprivate var count = 0

        private mutating func name(_ name: StaticString) {
            writer.writeRaw(count == 0 ? "\"" : ",\"")
            writer.writeRaw(name)
            writer.writeRaw("\":")
            count += 1
        }

        public mutating func add(_ name: StaticString, _ value: String) {
            self.name(name)
            writer.write(value)
        }

        public mutating func add(_ name: StaticString, _ value: Int64) {
            self.name(name)
            writer.write(value)
        }

        /// A number under a name known only at run time (an event type's), escaped as any
        /// string is.
        public mutating func add(named name: String, _ value: Int64) {
            if count > 0 { writer.writeRaw(",") }
            writer.write(name)
            writer.writeRaw(":")
            count += 1
            writer.write(value)
        }

        public mutating func add(_ name: StaticString, _ value: Bool) {
            self.name(name)
            writer.writeRaw(value ? "true" : "false")
        }

        /// A time, as an RFC 3339 UTC string.
        public mutating func add(_ name: StaticString, _ value: Timestamp) {
            self.name(name)
            writer.write(value)
        }

        /// `value`, or `null` when it is nil.
        public mutating func add(_ name: StaticString, _ value: String?) {
            guard let value else { return addNull(name) }
            add(name, value)
        }

        /// `value`, or `null` when it is nil.
        public mutating func add(_ name: StaticString, _ value: Int64?) {
            guard let value else { return addNull(name) }
            add(name, value)
        }

        /// `value`, or `null` when it is nil.
        public mutating func add(_ name: StaticString, _ value: Timestamp?) {
            guard let value else { return addNull(name) }
            add(name, value)
        }

        /// `value` as a JSON number (``Hundredths/description``), or `null` when it is nil.
        public mutating func add(_ name: StaticString, _ value: Hundredths?) {
            guard let value else { return addNull(name) }
            self.name(name)
            var text = value.description
            text.withUTF8 { writer.append(UnsafeRawBufferPointer($0)) }
        }

        public mutating func addNull(_ name: StaticString) {
            self.name(name)
            writer.writeRaw("null")
        }

        /// An array of strings.
        public mutating func add(_ name: StaticString, _ values: [String]) {
            self.name(name)
            writer.writeArray(values) { $0.write($1) }
        }

        /// An array of objects.
        /// An array of numbers.
        public mutating func add(_ name: StaticString, _ values: [Int]) {
            self.name(name)
            writer.writeArray(values) { writer, value in writer.write(Int64(value)) }
        }

        public mutating func add(_ name: StaticString, _ values: [some JSONRepresentable]) {
            self.name(name)
            writer.writeArray(values) { $1.write(to: $0) }
        }

        /// An array of objects, each written by `writeElement`.
        public mutating func add<Element>(_ name: StaticString, _ values: [Element], _ writeElement: (inout Members, Element) -> Void) {
            self.name(name)
            writer.writeArray(values) { writer, element in writer.writeObject { writeElement(&$0, element) } }
        }
    }

    /// Appends an object whose members `body` adds, straight to the bytes: no ``JSONValue``
    /// tree is built.
    public func writeObject(_ body: (inout Members) -> Void) {
        append(UInt8(ascii: "{"))
        var members = Members(writer: self)
        body(&members)
        append(UInt8(ascii: "}"))
    }

    /// Appends `timestamp` as a quoted RFC 3339 UTC string.
    public func write(_ timestamp: Timestamp) {
        append(count: Timestamp.textLength + 2) { out in
            out.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
            timestamp.write(to: out + 1)
            out.storeBytes(of: UInt8(ascii: "\""), toByteOffset: Timestamp.textLength + 1, as: UInt8.self)
        }
    }
}
