export * from './synthetic-book.ts';
export * from './book-stream.ts';
export * from './read-stream.ts';
