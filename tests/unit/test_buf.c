/* Unit tests for fl_buf and fl_err. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fl_buf.h"
#include "fl_err.h"

static void test_append_and_limit(void **state)
{
	struct fl_buf b;

	(void)state;
	fl_buf_init(&b, 8);
	assert_string_equal(b.data, "");
	assert_int_equal(fl_buf_adds(&b, "abc"), FL_OK);
	assert_int_equal(fl_buf_addf(&b, "%d", 12345), FL_OK);
	assert_string_equal(b.data, "abc12345");
	assert_int_equal(fl_buf_addc(&b, 'x'), FL_ELIMIT);
	assert_int_equal(b.rc, FL_ELIMIT);
	assert_string_equal(b.data, "abc12345");
	assert_int_equal(fl_buf_adds(&b, ""), FL_ELIMIT); /* sticky */
	fl_buf_release(&b);
}

static void test_html_escape(void **state)
{
	struct fl_buf b;

	(void)state;
	fl_buf_init(&b, 1024);
	fl_buf_add_html(&b, "<script>a&'\"</script>", 22);
	assert_int_equal(b.rc, FL_OK);
	assert_string_equal(b.data,
		"&lt;script&gt;a&amp;&#39;&quot;&lt;/script&gt;");
	fl_buf_release(&b);
}

static void test_detach(void **state)
{
	struct fl_buf b;
	size_t n;
	char *p;

	(void)state;
	fl_buf_init(&b, 100);
	p = fl_buf_detach(&b, &n);
	assert_non_null(p);
	assert_int_equal(n, 0);
	free(p);
	fl_buf_adds(&b, "Görlitz");
	p = fl_buf_detach(&b, &n);
	assert_string_equal(p, "Görlitz");
	assert_int_equal(n, strlen("Görlitz"));
	assert_string_equal(b.data, "");
	free(p);
}

static void test_err_first_wins(void **state)
{
	struct fl_err e;

	(void)state;
	fl_err_clear(&e);
	assert_int_equal(fl_error(&e, FL_EIO, "read '%s'", "a.txt"), FL_EIO);
	assert_int_equal(fl_error(&e, FL_EINVAL, "second"), FL_EINVAL);
	assert_int_equal(e.code, FL_EIO);
	assert_string_equal(e.msg, "read 'a.txt'");
	assert_int_equal(fl_error(NULL, FL_EDB, "x"), FL_EDB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_limit),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_err_first_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
